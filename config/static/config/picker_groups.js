'use strict';
// The two-pane picker keeps its options in their <optgroup>s (a student's courses grouped by term). Django's
// SelectBox reads a select's options into a flat list and redraws them flat; this remembers each option's group when
// a pane is read, redraws the groups (in the page's order) in both panes, and lets the filter find a group's options
// by its label (typing "Spring" finds the spring term's courses).
{
    const groupOf = {};  // option value → its group's label
    const rank = {};  // group label → its place on the page
    const read = SelectBox.init;
    SelectBox.init = function(id) {
        for (const group of document.getElementById(id).querySelectorAll('optgroup')) {
            rank[group.label] ??= Object.keys(rank).length;
            for (const option of group.querySelectorAll('option')) {
                groupOf[option.value] = group.label;
            }
        }
        read.call(this, id);
    };

    const redraw = SelectBox.redisplay;
    SelectBox.redisplay = function(id) {
        if (!Object.keys(rank).length) {
            return redraw.call(this, id);
        }
        const box = document.getElementById(id);
        const scrolled = box.scrollTop;
        const groups = new Map();
        for (const node of SelectBox.cache[id]) {
            if (node.displayed) {
                const label = groupOf[node.value] ?? '';
                if (!groups.has(label)) {
                    groups.set(label, []);
                }
                groups.get(label).push(node);
            }
        }
        const labels = [...groups.keys()].sort((a, b) => (rank[a] ?? Infinity) - (rank[b] ?? Infinity));
        const drawn = document.createDocumentFragment();
        for (const label of labels) {
            const parent = label ? drawn.appendChild(document.createElement('optgroup')) : drawn;
            if (label) {
                parent.label = label;
            }
            for (const node of groups.get(label)) {
                const option = new Option(node.text, node.value, false, false);
                option.title = node.text;
                parent.appendChild(option);
            }
        }
        box.innerHTML = '';
        box.appendChild(drawn);
        box.scrollTop = scrolled;
    };

    const filter = SelectBox.filter;
    SelectBox.filter = function(id, text) {
        if (!Object.keys(rank).length) {
            return filter.call(this, id, text);
        }
        const tokens = text.toLowerCase().split(/\s+/);
        for (const node of SelectBox.cache[id]) {
            const searched = `${node.text} ${groupOf[node.value] ?? ''}`.toLowerCase();
            node.displayed = tokens.every(token => searched.includes(token)) ? 1 : 0;
        }
        SelectBox.redisplay(id);
    };
}
